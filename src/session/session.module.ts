import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { SessionService } from './session.service';
import { SessionsController } from './sessions.controller';

/** Conversation bindings; needs CACHE_BACKEND from the global CacheModule. */
@Module({
  imports: [AuthModule],
  controllers: [SessionsController],
  providers: [SessionService],
  exports: [SessionService],
})
export class SessionModule {}
