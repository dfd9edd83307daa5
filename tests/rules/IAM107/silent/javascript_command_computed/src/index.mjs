import { makeClient } from "./clients.mjs";

export const handler = async (event) => {
  const client = makeClient();
  await client.send(event.command);
};
