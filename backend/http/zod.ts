/** zod, extended once with .openapi() so request/response schemas double as the OpenAPI document. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
