export enum OperatorKind {
  FARM = 'FARM',
  COOPERATIVE = 'COOPERATIVE',
  DAIRY_FARM = 'DAIRY_FARM',
  PROCESSOR = 'PROCESSOR',
  WHOLESALER = 'WHOLESALER',
  MARKET_VENDOR = 'MARKET_VENDOR',
  SMALL_WORKSHOP = 'SMALL_WORKSHOP',
  STREET_VENDOR = 'STREET_VENDOR',
  CANTEEN = 'CANTEEN',
  /** A rural chef who cooks village banquets: registered like any operator, so it has a credit archive. */
  RURAL_CHEF = 'RURAL_CHEF',
}

export enum OperatorStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  REVOKED = 'REVOKED',
}

export enum Grade {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}

export enum ProductCategory {
  VEGETABLE = 'VEGETABLE',
  FRUIT = 'FRUIT',
  DAIRY = 'DAIRY',
  EDIBLE_FUNGI = 'EDIBLE_FUNGI',
  TEA = 'TEA',
  LIVESTOCK_POULTRY = 'LIVESTOCK_POULTRY',
  EGGS = 'EGGS',
  AQUATIC = 'AQUATIC',
}

export enum QuantityUnit {
  KG = 'KG',
  G = 'G',
  T = 'T',
  L = 'L',
  ML = 'ML',
  PIECE = 'PIECE',
  BOX = 'BOX',
  CRATE = 'CRATE',
  BOTTLE = 'BOTTLE',
}

export enum BatchStatus {
  ACTIVE = 'ACTIVE',
  CONSUMED = 'CONSUMED',
  RECALLED = 'RECALLED',
}

export enum LinkKind {
  SPLIT = 'SPLIT',
  MERGE = 'MERGE',
  PROCESS = 'PROCESS',
  TRANSFER = 'TRANSFER',
}

/** The document a hand-over travels under (FSMA 204 "reference document type"; EPCIS bizTransaction type). */
export enum HandoverDocumentType {
  INVOICE = 'INVOICE',
  DELIVERY_NOTE = 'DELIVERY_NOTE',
  SALES_VOUCHER = 'SALES_VOUCHER',
  PURCHASE_ORDER = 'PURCHASE_ORDER',
  BILL_OF_LADING = 'BILL_OF_LADING',
  OTHER = 'OTHER',
}

export enum CommitmentBasis {
  COMMISSIONED_TEST = 'COMMISSIONED_TEST',
  SELF_TEST = 'SELF_TEST',
  INTERNAL_QC = 'INTERNAL_QC',
  SELF_COMMITMENT = 'SELF_COMMITMENT',
}

export enum CertificateStatus {
  VALID = 'VALID',
  REVOKED = 'REVOKED',
}

export enum InspectionKind {
  RAPID = 'RAPID',
  LAB = 'LAB',
}

export enum TestResult {
  PASS = 'PASS',
  FAIL = 'FAIL',
}

export enum GateDecision {
  ACCEPTED = 'ACCEPTED',
  TEST_REQUIRED = 'TEST_REQUIRED',
  REJECTED = 'REJECTED',
}

export enum CreditSource {
  ENTRY = 'ENTRY',
  INSPECTION = 'INSPECTION',
  RECALL = 'RECALL',
  REGULATOR = 'REGULATOR',
  APPEAL = 'APPEAL',
  SYSTEM = 'SYSTEM',
}

export enum AppealKind {
  APPEAL = 'APPEAL',
  REPAIR = 'REPAIR',
}

export enum AppealStatus {
  PENDING = 'PENDING',
  UPHELD = 'UPHELD',
  REJECTED = 'REJECTED',
}

export enum Role {
  ADMIN = 'ADMIN',
  REGULATOR = 'REGULATOR',
  GATE_STAFF = 'GATE_STAFF',
  OPERATOR = 'OPERATOR',
  /** Town-wide field inspector. */
  INSPECTOR = 'INSPECTOR',
  /** Village food-safety assistant (协管员): sees and inspects only its own village. */
  VILLAGE_ASSISTANT = 'VILLAGE_ASSISTANT',
}

/** What an audit row records: a request that changed something, or one that only read personal data. */
export enum AuditKind {
  MUTATION = 'MUTATION',
  READ = 'READ',
}

/** What a field inspection found, decided from its answers by `supervision/outcome.ts`. */
export enum InspectionOutcome {
  PASS = 'PASS',
  PUT_RIGHT = 'PUT_RIGHT',
  SERIOUS = 'SERIOUS',
}

/** How much a failed checklist item weighs. */
export enum ItemSeverity {
  MINOR = 'MINOR',
  MAJOR = 'MAJOR',
  CRITICAL = 'CRITICAL',
}

/** An inspector's answer to one checklist item. */
export enum ItemAnswer {
  YES = 'YES',
  NO = 'NO',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

/** A rectification order's state: open until a re-check closes it or escalates it. */
export enum RectificationStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  ESCALATED = 'ESCALATED',
}

/** What an unregistered place found in the field looks like. */
export enum SiteKind {
  UNLICENSED_WORKSHOP = 'UNLICENSED_WORKSHOP',
  RENTED_WAREHOUSE = 'RENTED_WAREHOUSE',
  EMPTY_HOUSE = 'EMPTY_HOUSE',
  STREET_STALL = 'STREET_STALL',
  OTHER = 'OTHER',
}

/** A hazard site is open until it registers as an operator or is closed. */
export enum SiteStatus {
  OPEN = 'OPEN',
  REGISTERED = 'REGISTERED',
  CLOSED = 'CLOSED',
}

export enum BanquetKind {
  WEDDING = 'WEDDING',
  FUNERAL = 'FUNERAL',
  BIRTHDAY = 'BIRTHDAY',
  HOUSEWARMING = 'HOUSEWARMING',
  STUDY_FAREWELL = 'STUDY_FAREWELL',
  OTHER = 'OTHER',
}

export enum Meal {
  BREAKFAST = 'BREAKFAST',
  LUNCH = 'LUNCH',
  DINNER = 'DINNER',
}

/** Who guides a banquet, by its size (the rule table is `banquet/banquet.rules.ts`). */
export enum BanquetTier {
  HOST_FILES = 'HOST_FILES',
  TOWN_ON_SITE = 'TOWN_ON_SITE',
  COUNTY_ON_SITE = 'COUNTY_ON_SITE',
}

export enum BanquetStatus {
  FILED = 'FILED',
  GUIDED = 'GUIDED',
  SERVED = 'SERVED',
}

/** A canteen's receiving check: GREEN received, AMBER received with reasons to follow up, RED refused. */
export enum ReceivingLight {
  GREEN = 'GREEN',
  AMBER = 'AMBER',
  RED = 'RED',
}

/** Where an EPCIS capture job stands: every event stored, some refused, or the document refused whole. */
export enum CaptureStatus {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  PARTIAL = 'PARTIAL',
  FAILED = 'FAILED',
}

export enum IncidentKind {
  FOOD_POISONING = 'FOOD_POISONING',
  COMPLAINT = 'COMPLAINT',
  HAZARD = 'HAZARD',
  FAILED_TEST = 'FAILED_TEST',
  OTHER = 'OTHER',
}

/** An incident's place of the timeline, in order. */
export enum IncidentStatus {
  REPORTED = 'REPORTED',
  INVESTIGATING = 'INVESTIGATING',
  HANDLED = 'HANDLED',
  CLOSED = 'CLOSED',
}

/** Where an incident happened: a village, an operator, a canteen or a banquet. */
export enum IncidentPlaceKind {
  VILLAGE = 'VILLAGE',
  OPERATOR = 'OPERATOR',
  CANTEEN = 'CANTEEN',
  BANQUET = 'BANQUET',
}

/** What a notification tells of. */
export enum NotificationKind {
  RECALL_STARTED = 'RECALL_STARTED',
  TEST_FAILED = 'TEST_FAILED',
  INCIDENT_REPORTED = 'INCIDENT_REPORTED',
  BANQUET_DUE = 'BANQUET_DUE',
  CHEF_CERTIFICATE_EXPIRING = 'CHEF_CERTIFICATE_EXPIRING',
  /** A load refused at a market gate. */
  LOAD_REFUSED = 'LOAD_REFUSED',
  /** A rectification order still open past its deadline. */
  ORDER_OVERDUE = 'ORDER_OVERDUE',
  /** An origin certificate revoked by its issuer or the office. */
  CERTIFICATE_REVOKED = 'CERTIFICATE_REVOKED',
}

/** Where a webhook delivery stands: DEAD after the retries ran out (replayable). */
export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}

/** Where a plan item stands: NOT_STARTED at 0 %, IN_PROGRESS below 100 %, DONE at 100 %; CANCELLED when dropped. */
export enum PlanStatus {
  NOT_STARTED = 'NOT_STARTED',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}

/** The units assessed besides villages: schools' and kindergartens' canteens, and markets. */
export enum AssessedUnitKind {
  CANTEEN = 'CANTEEN',
  MARKET = 'MARKET',
}
