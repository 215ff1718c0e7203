import { Module } from '@nestjs/common';
import { ApiKeyStrategy } from './api-key.strategy';
import { AUTH_STRATEGIES, AuthStrategy } from './auth-strategy.interface';
import { AuthGuard } from './auth.guard';

/** Bearer authentication. A new strategy (e.g. JWT) is one more entry in AUTH_STRATEGIES. */
@Module({
  providers: [
    ApiKeyStrategy,
    {
      provide: AUTH_STRATEGIES,
      useFactory: (...strategies: AuthStrategy[]): AuthStrategy[] => strategies,
      inject: [ApiKeyStrategy],
    },
    AuthGuard,
  ],
  exports: [AuthGuard, AUTH_STRATEGIES],
})
export class AuthModule {}
