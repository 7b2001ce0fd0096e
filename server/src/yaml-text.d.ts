// Bundled YAML samples are imported as text (esbuild's text loader).
declare module '*.yaml' {
  const text: string;
  export default text;
}
