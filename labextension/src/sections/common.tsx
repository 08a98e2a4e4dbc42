import { Widget } from '@lumino/widgets';
import * as React from 'react';

/** A thin bar filled to `fraction` (0 to 1) of its width. */
export function ProgressBar(props: { fraction: number }): JSX.Element {
  const fraction = Math.max(0, Math.min(1, props.fraction));
  return (
    <div
      className="jp-Dataplane-progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
    >
      <div className="jp-Dataplane-progressValue" style={{ width: `${fraction * 100}%` }} />
    </div>
  );
}

/**
 * A hidden file input: `click()` it to open the browser's file picker; `onFiles` gets what
 * the user picked.
 */
export function createFileInput(accept: string, onFiles: (files: File[]) => void): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.accept = accept;
  input.className = 'jp-Dataplane-fileInput';
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? []);
    input.value = ''; // so that picking the same file again fires `change`
    if (files.length > 0) {
      onFiles(files);
    }
  });
  return input;
}

/**
 * Files dragged from the desktop onto a widget: the widget gets `jp-mod-dropTarget` while they
 * are over it, and `onFiles` gets them when they are dropped. Call `attach` and `detach` as the
 * widget is attached and detached.
 */
export class FileDropZone implements EventListenerObject {
  constructor(
    private readonly _widget: Widget,
    private readonly _onFiles: (files: File[]) => void
  ) {}

  /** Start listening to drag events on the widget's node. */
  attach(): void {
    for (const type of DROP_EVENTS) {
      this._widget.node.addEventListener(type, this);
    }
  }

  /** Stop listening. */
  detach(): void {
    for (const type of DROP_EVENTS) {
      this._widget.node.removeEventListener(type, this);
    }
  }

  /** Called by the DOM for each drag event (`addEventListener(type, this)`). */
  handleEvent(event: Event): void {
    const drag = event as DragEvent;
    if (!drag.dataTransfer || !Array.from(drag.dataTransfer.types).includes('Files')) {
      return;
    }
    drag.preventDefault();
    const widget = this._widget;
    switch (event.type) {
      case 'dragenter':
      case 'dragover':
        drag.dataTransfer.dropEffect = 'copy';
        widget.addClass('jp-mod-dropTarget');
        break;
      case 'dragleave':
        if (!widget.node.contains(drag.relatedTarget as Node | null)) {
          widget.removeClass('jp-mod-dropTarget');
        }
        break;
      case 'drop':
        widget.removeClass('jp-mod-dropTarget');
        if (drag.dataTransfer.files.length > 0) {
          this._onFiles(Array.from(drag.dataTransfer.files));
        }
        break;
    }
  }
}

const DROP_EVENTS = ['dragenter', 'dragover', 'dragleave', 'drop'];
