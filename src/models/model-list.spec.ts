import type { Deployment, RouteGroup } from '../routing/deployments/deployment';
import { modelIds, RoutingView, toModelList } from './model-list';

const deployment = (id: string, provider: string, model?: string): Deployment =>
  ({ id, provider, model, origin: 'https://secret-host.example' }) as unknown as Deployment;
const group = (name: string, members: Deployment[]): RouteGroup =>
  ({ name, members }) as unknown as RouteGroup;

describe('modelIds', () => {
  it('lists groups first, then provider/model of each configured deployment, each once', () => {
    const us = deployment('oai-mini-us', 'openai', 'gpt-4o-mini');
    const eu = deployment('oai-mini-eu', 'openai', 'gpt-4o-mini');
    const claude = deployment('claude', 'anthropic', 'claude-sonnet-4-5');
    const view: RoutingView = {
      implicit: false,
      deployments: [us, eu, claude],
      groups: new Map([
        ['fast', group('fast', [us, eu])],
        ['smart', group('smart', [claude])],
      ]),
      tiers: { simple: 'fast', complex: 'smart' },
    };
    expect(modelIds(view)).toEqual([
      'fast',
      'smart',
      'openai/gpt-4o-mini',
      'anthropic/claude-sonnet-4-5',
    ]);
  });

  it('lists an implicit deployment (any model of its provider) by its provider name', () => {
    const view: RoutingView = {
      implicit: true,
      deployments: [deployment('openai', 'openai'), deployment('echo', 'echo')],
      groups: new Map(),
      tiers: {},
    };
    expect(modelIds(view)).toEqual(['openai', 'echo']);
  });

  it('never lists deployment ids or origins', () => {
    const view: RoutingView = {
      implicit: false,
      deployments: [deployment('private-deployment-id', 'openai', 'm1')],
      groups: new Map(),
      tiers: {},
    };
    const listed = JSON.stringify(toModelList(modelIds(view), 1));
    expect(listed).not.toContain('private-deployment-id');
    expect(listed).not.toContain('secret-host');
  });
});

describe('toModelList', () => {
  it("answers OpenAI's list format, owned by sentinel", () => {
    expect(toModelList(['fast', 'openai/m1'], 1735689600)).toEqual({
      object: 'list',
      data: [
        { id: 'fast', object: 'model', created: 1735689600, owned_by: 'sentinel' },
        { id: 'openai/m1', object: 'model', created: 1735689600, owned_by: 'sentinel' },
      ],
    });
  });
});
