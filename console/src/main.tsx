import { render } from 'preact';
import { App } from './app';
import { createAuth, type ConsoleConfig } from './auth';
import './styles.css';

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const res = await fetch('/console/config.json');
  if (!res.ok) throw new Error(`the console's configuration could not be loaded (${res.status})`);
  const config = (await res.json()) as ConsoleConfig;
  root.textContent = '';
  render(<App auth={createAuth(config)} />, root);
}

start().catch((err: unknown) => {
  const root = document.getElementById('app')!;
  root.textContent = `The console failed to start: ${err instanceof Error ? err.message : String(err)}`;
});
