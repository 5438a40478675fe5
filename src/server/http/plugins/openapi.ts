/**
 * The OpenAPI 3.1 document, generated from the zod contracts of the routes, at
 * /api/openapi.json, and a reference people can read at /docs.
 */
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { nameApiSchemas } from '../../../contracts/openapi-names.ts';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  nameApiSchemas();
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Followthrough API',
        version: '1.0.0',
        description:
          'Follow-ups, contacts, agents, campaigns and call logs of one workspace. ' +
          'Sign in for a session cookie, or send an API key as `Authorization: Bearer <key>`. ' +
          'Errors are application/problem+json (RFC 9457).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ft_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  // The reference's page and scripts: loaded by `serve` only, never by the other commands.
  const { default: scalar } = await import('@scalar/fastify-api-reference');
  await app.register(scalar, {
    routePrefix: '/docs',
    // No fonts from Scalar's servers: the page loads nothing from outside this server.
    configuration: {
      url: '/api/openapi.json',
      title: 'Followthrough API',
      withDefaultFonts: false,
    },
    hooks: {},
  });
}
