/** OpenAPI is derived from the same zod schemas that validate requests: it cannot drift from them. */
import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { ProblemSchema } from './problem.ts';

export const registry = new OpenAPIRegistry();
registry.register('Problem', ProblemSchema);

export function openApiDocument(): object {
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'licence-desk API', version: '0.1.0', description: '行政许可 back office: case register, task queues, catalogue, processes' },
    servers: [{ url: '/' }],
  });
}
