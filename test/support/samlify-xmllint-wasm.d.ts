// The package ships no types; samlify takes it as its schema validator.
declare module '@authenio/samlify-xmllint-wasm' {
  export function validate(xml: string): Promise<unknown>;
}
