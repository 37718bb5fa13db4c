/**
 * One vocabulary for a card's status: the store records it, the contract carries it, the eligibility
 * rules read it and the UI's texts are keyed by it (`status<code>`, `selfServiceStatus<code>`).
 *
 * - `active`     issued and in use.
 * - `hot-listed` blocked on the transit network: reported lost, or replaced by a newer card of the same
 *                type. Still the holder's card: a replacement moves its balance to the new card.
 * - `void`       cancelled for good by staff (misprint, never delivered, fraud): never valid again, and
 *                no longer this person's card for the rules.
 * - `expired`    derived, never stored: a card whose expiry date has passed. The kiosk's own records
 *                hold only the first three; the expiry date travels beside the status (the screens'
 *                `expired` flag), and the rules accept `expired` from whoever knows it (a registry,
 *                `kioskctl eligibility`).
 */
export const cardStatuses = ['active', 'hot-listed', 'void', 'expired'] as const;
export type CardStatus = (typeof cardStatuses)[number];

/** The statuses the kiosk records (the `issuances.status` CHECK of migration 001). */
export const recordedCardStatuses = ['active', 'hot-listed', 'void'] as const satisfies readonly CardStatus[];
export type RecordedCardStatus = (typeof recordedCardStatuses)[number];

/**
 * What a look-up of a card read from its chip answers: the kiosk's recorded status, or `unknown` when
 * this kiosk has no record of it (another kiosk issued it).
 */
export const cardLookupStatuses = [...recordedCardStatuses, 'unknown'] as const;
export type CardLookupStatus = (typeof cardLookupStatuses)[number];
