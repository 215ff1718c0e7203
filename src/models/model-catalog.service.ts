import { Injectable } from '@nestjs/common';
import { DeploymentTable } from '../routing/deployments/deployment-table';
import { modelIds, ModelList, toModelList } from './model-list';

/**
 * The model list both surfaces answer, built once from the routing table (which is itself
 * fixed at boot), so listing costs nothing per request.
 */
@Injectable()
export class ModelCatalog {
  private readonly list: ModelList;

  constructor(table: DeploymentTable) {
    this.list = toModelList(modelIds(table), Math.floor(Date.now() / 1000));
  }

  models(): ModelList {
    return this.list;
  }
}
