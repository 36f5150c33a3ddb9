/**
 * The credit ledger: each operator's append-only, hash-chained events (ledger.append), the stored credit they lead
 * to (ledger.refresh) and the verification of the chains (ledger.verify).
 */
export { asStored, canonicalLink, canonicalRow, chainHash, CURRENT_HASH_VERSION, GENESIS_HASH, type HashVersion } from './chain-hash';
export { appendCreditEvent, type NewCreditEvent } from './ledger.append';
export { creditAsOf, refreshLapsedCredit, refreshStoredCredit } from './ledger.refresh';
export { verifyCreditArchive, verifyCreditChain } from './ledger.verify';
export type { CanonicalEvent } from './credit.model';
export { toCanonical as canonicalFromStored } from '../tables/credit-event.table';
