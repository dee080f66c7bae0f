// Tests run on the server side of the boundary `server-only` guards.
export {};
