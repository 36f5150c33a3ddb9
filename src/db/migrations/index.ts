import { Migration20261128000000_init } from './Migration20261128000000_init';

/** Every migration in order; new ones are appended here. */
export const MIGRATIONS = [
  { name: 'Migration20261128000000_init', class: Migration20261128000000_init },
];
