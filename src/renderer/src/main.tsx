// Entry: install the client, ask main for the first screen's data, then load the app.
// The app (React, the screens) is a separate chunk so that its parsing overlaps with
// main answering the first request instead of coming before it.
import { installClient } from './api/client';
import { startFirstScreenData } from './api/first-data';
import './styles.css';

const signedIn = installClient();
if (signedIn) startFirstScreenData();
void import('./shell/mount').then((m) => m.mount(document.getElementById('root')!, signedIn));
