import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { readableOrganization } from '../../auth/access.js';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../../common/connection.js';
import type { RequestContext } from '../../context.js';
import { Supplier } from './supplier.entity.js';
import { supplierNode } from './supplier.mappers.js';
import { SupplierConnection } from './supplier.types.js';
import { escapeLike } from '../../common/search.js';

@Resolver()
export class SupplierResolver {
  @Query(() => SupplierConnection, { description: 'Suppliers by name.' })
  async suppliers(
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    const orgId = readableOrganization(ctx.caller, organizationId);
    const limit = pageSize(first);
    const cursor = decodeCursor(after, ['text', 'uuid']);
    const where: Record<string, unknown> = { organization: orgId };
    if (search?.trim())
      where.name = {
        $ilike: `%${escapeLike(search.trim().slice(0, 100))}%`,
      };
    const qb = ctx.em.createQueryBuilder(Supplier, 's').select('*').where(where);
    if (cursor) qb.andWhere('(s.name, s.id) > (?, ?::uuid)', [cursor[0], cursor[1]]);
    const rows = await qb
      .orderBy({ name: 'asc', id: 'asc' })
      .limit(limit + 1)
      .getResultList();
    return toConnection(
      rows,
      limit,
      (s) => encodeCursor([s.name, s.id]),
      supplierNode,
      () => ctx.em.count(Supplier, where),
      !!cursor,
    );
  }
}
