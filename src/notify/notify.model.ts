import type { NotificationKind, Role } from '../entities/enums';

/** Who an event is told to: accounts of these roles, of these operators, gate staff of these markets, assistants of these villages. */
export interface Audience {
  roles?: Role[];
  operatorIds?: number[];
  marketIds?: number[];
  accountIds?: number[];
  /** Village assistants of these villages. */
  villages?: string[];
}

/** An event to tell of, as written into the outbox with the event itself. */
export interface OutboxEvent {
  kind: NotificationKind;
  /** One line a person reads (zh / en). */
  subject: string;
  payload: Record<string, unknown>;
  audience: Audience;
}

/** One event in one account's inbox. */
export interface NotificationModel {
  id: number;
  /** The outbox event: receivers deduplicate by it. */
  eventId: number;
  kind: NotificationKind;
  subject: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
}

/** What a live connection is sent for a new notification. */
export interface LiveNotice {
  id: number;
  eventId: number;
  accountId: number;
  kind: NotificationKind;
  subject: string;
}

/** A system that receives notifications by signed HTTP POST. */
export interface WebhookSubscriptionModel {
  id: number;
  name: string;
  url: string;
  /** Kinds sent; empty: every kind. */
  kinds: NotificationKind[];
  active: boolean;
  createdAt: Date;
}

export type WebhookDeliveryState = 'PENDING' | 'DELIVERED' | 'DEAD';

export interface WebhookDeliveryModel {
  id: number;
  subscriptionId: number;
  eventId: number;
  status: WebhookDeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface RegisterWebhookData {
  name: string;
  url: string;
  kinds?: NotificationKind[] | null;
}
