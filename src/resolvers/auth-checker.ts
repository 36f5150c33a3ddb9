import type { AuthChecker } from 'type-graphql';
import type { Context } from '../context';
import { forbidden, unauthenticated } from '../errors';

/** Roles from `@Authorized(...)`; an empty list means any signed-in account. */
export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  const role = context.viewer.role;
  if (!role) throw unauthenticated();
  if (roles.length && !roles.includes(role)) throw forbidden(`Requires role ${roles.join(' or ')}`);
  return true;
};
