export * from './taiwan-id';
export * from './mrz';
