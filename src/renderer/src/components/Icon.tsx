// Icons are SVG from lucide-react, never emoji: without an emoji font (common on Linux)
// emoji render as empty boxes. An icon is decoration: the text or label beside it names
// the control for screen readers, so every icon is aria-hidden.
import type { ReactNode } from 'react';
import {
  Activity,
  ArrowDown,
  ArrowLeft,
  ArrowUp,
  ArrowUpDown,
  ArrowLeftRight,
  Download,
  HardDrive,
  ScrollText,
  Server,
  Upload,
  Ban,
  Check,
  ChevronDown,
  ChevronRight,
  CircleCheck,
  Clipboard,
  Eye,
  EyeOff,
  FileCode,
  Globe,
  History,
  Info,
  KeyRound,
  ListTree,
  Lock,
  Pencil,
  Play,
  Plus,
  RotateCw,
  Search,
  Settings,
  Terminal,
  Trash,
  TriangleAlert,
  Users,
  X,
  Zap,
  type LucideIcon,
} from 'lucide-react';
import type { Scope } from '../../../shared/types';

const ICONS = {
  global: Globe,
  function: Zap,
  key: KeyRound,
  group: Users,
  tree: ListTree,
  inspect: Search,
  health: Activity,
  settings: Settings,
  secrets: Lock,
  reveal: Eye,
  hide: EyeOff,
  copy: Clipboard,
  copied: Check,
  close: X,
  info: Info,
  warn: TriangleAlert,
  ok: CircleCheck,
  refused: Ban,
  handler: FileCode,
  play: Play,
  add: Plus,
  edit: Pencil,
  delete: Trash,
  rotate: RotateCw,
  history: History,
  console: Terminal,
  back: ArrowLeft,
  expand: ChevronRight,
  collapse: ChevronDown,
  sortAsc: ArrowUp,
  sortDesc: ArrowDown,
  sortNone: ArrowUpDown,
  audit: ScrollText,
  server: Server,
  backup: HardDrive,
  pull: Download,
  push: Upload,
  diff: ArrowLeftRight,
} satisfies Record<string, LucideIcon>;

export type IconName = keyof typeof ICONS;

export const SCOPE_ICON_NAME: Record<Scope, IconName> = { key: 'key', group: 'group', function: 'function', global: 'global' };

export function Icon({ name, className }: { name: IconName; className?: string }): ReactNode {
  const C = ICONS[name];
  return <C className={`icon-svg${className ? ` ${className}` : ''}`} aria-hidden="true" focusable="false" size={16} strokeWidth={2} />;
}
