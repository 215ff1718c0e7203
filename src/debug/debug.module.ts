import { Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module';
import { AdminKeyGuard } from './admin-key.guard';
import { DebugController } from './debug.controller';

@Module({ imports: [SessionModule], controllers: [DebugController], providers: [AdminKeyGuard] })
export class DebugModule {}
