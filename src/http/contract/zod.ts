import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Once, before any contract schema is built: adds `.openapi()` to zod's types.
extendZodWithOpenApi(z);

export { z };
