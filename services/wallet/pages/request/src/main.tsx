/** Entry point of the phone's request screen (built by scripts/build-pages.mjs). */
import { render } from 'preact';
import { App } from './app';
import '../../shared/phone.css';
import './style.css';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
