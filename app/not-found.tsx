import Link from "next/link";

export default function NotFound() {
  return (
    <main className="centered">
      <div className="card narrow">
        <h1>404 · Not found</h1>
        <p>There is no page at this address.</p>
        <Link href="/overview">Back to the overview</Link>
      </div>
    </main>
  );
}
