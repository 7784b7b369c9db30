import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installClient } from './api/client';
import { App } from './shell/App';
import { NoToken } from './shell/NoToken';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
root.render(<StrictMode>{installClient() ? <App /> : <NoToken />}</StrictMode>);
