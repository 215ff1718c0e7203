import { Injectable } from '@nestjs/common';
import { ChatHook, ChatHookProvider, ChatHookResult } from '../../../src/chat/chat-hook.interface';

/** One audit line: who, where and how it ended. Never the prompt, the answer or a key. */
export interface AuditEntry {
  requestId: string;
  caller: string;
  deployment: string | null;
  model: string | null;
  attempts: number;
  stream: boolean;
  outcome: ChatHookResult['outcome'];
  errorCode: string | null;
}

/**
 * Records how every chat request ended. A real team would write `entry` to its audit log;
 * `afterChat` is not awaited, so anything slow (a network write) must be fire-and-forget with its
 * own error handling.
 */
@Injectable()
@ChatHookProvider()
export class AuditHook implements ChatHook {
  readonly entries: AuditEntry[] = [];

  afterChat(result: ChatHookResult): void {
    this.entries.push({
      requestId: result.requestId,
      caller: result.caller.externalId,
      deployment: result.decision?.deployment ?? null,
      model: result.decision?.model ?? null,
      attempts: result.decision?.attempts ?? 0,
      stream: result.command.stream,
      outcome: result.outcome,
      errorCode: result.errorCode ?? null,
    });
  }
}
