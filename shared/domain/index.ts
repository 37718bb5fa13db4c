export * from './card-types';
export * from './card-status';
export * from './calendar-date';
export * from './card-validity';
export * from './rules';
export * from './fees';
export * from './eligibility';
export * from './eligibility-input';
