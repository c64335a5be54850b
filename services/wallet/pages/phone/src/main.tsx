/** Entry point of the phone page (built by scripts/build-pages.mjs into services/wallet/dist-pages/phone). */
import { render } from 'preact';
import '../../shared/phone.css';
import { App } from './app';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
