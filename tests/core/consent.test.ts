// The chat notice (src/core/consent): what the user tells the others.
import { describe, expect, it } from 'vitest';
import { CHAT_NOTICE } from '../../src/core/consent';

describe('the chat notice', () => {
  it('says it runs locally, records and sends nothing, and offers to leave people out', () => {
    expect(CHAT_NOTICE).toMatch(/on my computer only/);
    expect(CHAT_NOTICE).toMatch(/nothing is recorded or sent/);
    expect(CHAT_NOTICE).toMatch(/rather not be included/);
  });

  it('is one short chat message: a line people read, not a policy', () => {
    expect(CHAT_NOTICE).not.toMatch(/\n/);
    expect(CHAT_NOTICE.length).toBeLessThanOrEqual(300);
  });
});
