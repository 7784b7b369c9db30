// The application menu, as a template the shell hands to Menu.buildFromTemplate. Only
// electron's types are imported, so the template is tested on plain Node.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  about(): void;
  openDataFolder(): void;
  openDocs(): void;
}

export function menuTemplate(o: { platform: NodeJS.Platform; isPackaged: boolean; actions: MenuActions }): MenuItemConstructorOptions[] {
  const isMac = o.platform === 'darwin';
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [{ label: 'Open Data Folder', click: () => o.actions.openDataFolder() }, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(o.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      // role 'help' makes it macOS's Help menu (with its search field); a plain menu elsewhere.
      role: 'help',
      label: 'Help',
      submenu: [
        { label: 'Documentation', click: () => o.actions.openDocs() },
        { label: 'Open Data Folder', click: () => o.actions.openDataFolder() },
        { type: 'separator' },
        { label: 'About Crude Functions Desktop', click: () => o.actions.about() },
      ],
    },
  ];
}
