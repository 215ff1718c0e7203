import { Injectable } from '@nestjs/common';
import { GatewayError } from '../common/errors/gateway-error';
import { DeploymentTable } from '../routing/deployments/deployment-table';
import { modelIds, ModelEntry, ModelList, OWNED_BY, toModelList } from './model-list';

/**
 * The model list both surfaces answer, built once from the routing table (which is itself
 * fixed at boot), so listing costs nothing per request.
 */
@Injectable()
export class ModelCatalog {
  private readonly list: ModelList;
  private readonly created: number;

  constructor(private readonly table: DeploymentTable) {
    this.created = Math.floor(Date.now() / 1000);
    this.list = toModelList(modelIds(table), this.created);
  }

  models(): ModelList {
    return this.list;
  }

  /**
   * One model (`models.retrieve(id)` of the OpenAI clients): a listed name, or any other name
   * a request may send as `model` and this gateway would route (e.g. `openai/gpt-4o` through
   * an implicit deployment). 404 `not_found` otherwise.
   */
  model(id: string): ModelEntry {
    const listed = this.list.data.find((entry) => entry.id === id);
    if (listed !== undefined) return listed;
    if (this.routes(id)) return { id, object: 'model', created: this.created, owned_by: OWNED_BY };
    throw new GatewayError(
      'not_found',
      `The model '${id.slice(0, 256)}' is not routed by this gateway.`,
      {
        param: 'model',
      },
    );
  }

  private routes(id: string): boolean {
    try {
      const target = this.table.resolve(id);
      return target.group.members.length > 0;
    } catch {
      return false;
    }
  }
}
