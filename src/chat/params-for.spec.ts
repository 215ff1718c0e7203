import type { LlmModel } from '../providers/llm-adapter.interface';
import type { ChatParams, OptionalParam } from '../providers/llm-types';
import type { Deployment } from '../routing/deployments/deployment';
import { paramsFor } from './params-for';
import { newDecision } from './routing-decision';

const unusedModel: LlmModel = {
  deploymentId: 'd',
  complete: () => Promise.reject(new Error('not called')),
  stream: () => Promise.reject(new Error('not called')),
  close: () => Promise.resolve(),
};

const deploymentSupporting = (...params: OptionalParam[]): Deployment => ({
  id: 'd',
  provider: 'p',
  model: 'm',
  weight: 1,
  priority: 0,
  supportedParams: new Set(params),
  llm: unusedModel,
});

const params: ChatParams = {
  messages: [{ role: 'user', content: 'hi' }],
  temperature: 0.2,
  max_tokens: 50,
  stop: ['\n'],
  seed: 7,
  logprobs: true,
  metadata: { team: 'search' },
  user: 'u-1',
};

describe('paramsFor', () => {
  it('keeps the core fields, sets the routed model and drops the unsupported optional ones', () => {
    const decision = newDecision('none');

    const request = paramsFor(deploymentSupporting('seed', 'user'), params, 'model-x', decision);

    expect(request).toEqual({
      model: 'model-x',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      max_tokens: 50,
      stop: ['\n'],
      seed: 7,
      user: 'u-1',
    });
  });

  it('names every dropped field in the decision, in the order of the optional fields list', () => {
    const decision = newDecision('none');

    paramsFor(deploymentSupporting('seed', 'user'), params, 'model-x', decision);

    expect(decision.droppedParams).toEqual(['logprobs', 'metadata']);
  });

  it('drops nothing and names nothing when the adapter supports every field sent', () => {
    const decision = newDecision('none');
    decision.droppedParams = ['stale-from-an-earlier-attempt'];

    const request = paramsFor(
      deploymentSupporting('seed', 'user', 'logprobs', 'metadata'),
      params,
      'model-x',
      decision,
    );

    expect(request).toEqual({ ...params, model: 'model-x' });
    expect(decision.droppedParams).toBeUndefined();
  });

  it("leaves the command's params untouched, so the next attempt starts from all of them", () => {
    const before = structuredClone(params);

    paramsFor(deploymentSupporting(), params, 'model-x', newDecision('none'));

    expect(params).toEqual(before);
  });

  it('reflects the last attempt only: a fallback that supports more drops less', () => {
    const decision = newDecision('none');

    paramsFor(deploymentSupporting(), params, 'first', decision);
    expect(decision.droppedParams).toEqual(['seed', 'logprobs', 'user', 'metadata']);
    const second = paramsFor(deploymentSupporting('seed', 'logprobs'), params, 'second', decision);

    expect(second.seed).toBe(7);
    expect(second.logprobs).toBe(true);
    expect(decision.droppedParams).toEqual(['user', 'metadata']);
  });
});
