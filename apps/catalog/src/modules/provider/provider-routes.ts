import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import { requireProviderOrg } from '../../plugins/caller.js';
import { CatalogErrors } from '../catalog-errors.js';
import { problems, UuidParams } from '../http-schemas.js';
import { ListingDetail } from '../listings/listing-schema.js';
import { CreateListing, UpdateListing } from './listing-input.js';
import type { ProviderListings } from './provider-listings.js';

const security = [{ bearerAuth: [] }];
const tags = ['provider portal'];

/** The provider portal API (R-CAT-3): the provider role, its own organization's listings only. */
export async function providerRoutes(app: ServiceInstance, { listings }: { listings: ProviderListings }): Promise<void> {
  app.post(
    '/v1/provider/scholarships',
    {
      schema: { summary: 'Create a draft listing', tags, security, body: CreateListing, response: { 201: ListingDetail, ...problems(400, 401, 403) } },
    },
    async (request, reply) => {
      const { orgId } = requireProviderOrg(request);
      const listing = await listings.create(orgId, request.body);
      return reply.code(201).header('location', `/v1/provider/scholarships/${listing.id}`).send(listing);
    },
  );

  app.get(
    '/v1/provider/scholarships',
    {
      schema: {
        summary: "Your organization's listings, newest first",
        tags,
        security,
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('closed')])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          before: Type.Optional(Type.String({ format: 'uuid', description: 'the id of the last listing of the previous page' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(ListingDetail) }), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { orgId } = requireProviderOrg(request);
      return { items: await listings.list(orgId, request.query.status, request.query.limit ?? 50, request.query.before) };
    },
  );

  app.get(
    '/v1/provider/scholarships/:id',
    { schema: { summary: 'One of your listings, any status', tags, security, params: UuidParams, response: { 200: ListingDetail, ...problems(400, 401, 403, 404) } } },
    async (request) => {
      const listing = await listings.get(requireProviderOrg(request).orgId, request.params.id);
      if (!listing) throw CatalogErrors.CATALOG_SCHOLARSHIP_NOT_FOUND();
      return listing;
    },
  );

  app.patch(
    '/v1/provider/scholarships/:id',
    {
      schema: { summary: 'Edit a draft or published listing', tags, security, params: UuidParams, body: UpdateListing, response: { 200: ListingDetail, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request) => listings.update(requireProviderOrg(request).orgId, request.params.id, request.body),
  );

  app.post(
    '/v1/provider/scholarships/:id/publish',
    {
      schema: { summary: 'Publish a listing: searchable, with a public page', tags, security, params: UuidParams, response: { 200: ListingDetail, ...problems(400, 401, 403, 404, 409, 422) } },
    },
    async (request) => listings.publish(requireProviderOrg(request).orgId, request.params.id),
  );

  app.post(
    '/v1/provider/scholarships/:id/close',
    { schema: { summary: 'Close a listing: no more applications; its page stays', tags, security, params: UuidParams, response: { 200: ListingDetail, ...problems(400, 401, 403, 404) } } },
    async (request) => listings.close(requireProviderOrg(request).orgId, request.params.id),
  );
}
