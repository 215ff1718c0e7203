import type { ChatMessage, Usage } from '../llm-types';

export const NO_TEXT = '(no text)';

/** The text of a message: the string content, or its text parts joined by a space. */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  if (message.content === null) return '';
  return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ');
}

/** What the echo provider answers: the last user message's text. */
export function echoAnswer(messages: ChatMessage[]): string {
  const lastUser = messages.findLast((message) => message.role === 'user');
  const text = lastUser === undefined ? '' : messageText(lastUser);
  return text === '' ? NO_TEXT : text;
}

/**
 * The answer cut before each word that follows whitespace, so every piece is one word with its
 * surrounding spaces and the pieces concatenate to the answer exactly.
 */
export function splitWords(answer: string): string[] {
  return answer.split(/(?<=\s)(?=\S)/);
}

const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/** A rough token count: one token per word. */
export function echoUsage(messages: ChatMessage[], answer: string): Usage {
  const prompt = messages.reduce((sum, message) => sum + wordCount(messageText(message)), 0);
  const completion = wordCount(answer);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}
