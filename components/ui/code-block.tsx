import { CopyButton } from "./copy-button";

/** Text to paste somewhere else (a policy, a command), shown as code with a button that copies it. */
export function CodeBlock({ text, copyLabel, testId }: { text: string; copyLabel: string; testId?: string }) {
  return (
    <>
      <pre className="code-block" data-testid={testId}>
        {text}
      </pre>
      <CopyButton text={text} label={copyLabel} />
    </>
  );
}
