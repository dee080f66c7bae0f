// js-yaml ships no types and @types/js-yaml is not installed: the little test/deploy-cloudformation.ts uses.
declare module "js-yaml" {
  export interface TypeOptions {
    kind: "scalar" | "sequence" | "mapping";
    construct?: (data: unknown) => unknown;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
  }
  export class Schema {
    extend(types: Type[]): Schema;
  }
  export const CORE_SCHEMA: Schema;
  export function load(text: string, options?: { schema?: Schema; filename?: string }): unknown;
}
