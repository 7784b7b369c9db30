export const DIST_BINDING_DIR: string;
