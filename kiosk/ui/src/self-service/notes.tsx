import { ntd } from './words';

/**
 * Banknotes drawn as notes (NT$100 red, 500 brown, 1000 blue, as the real ones), so someone who
 * reads little still sees which notes go in. A note that would not fit under the cap is greyed and
 * says why in words (colour is never the only sign).
 */
export function NoteDrawings({ notes, fits, tooBig }: { notes: readonly number[]; fits: (note: number) => boolean; tooBig: string }) {
  return (
    <ul className="note-drawings">
      {notes.map((note) => {
        const fitting = fits(note);
        return (
          <li key={note} className={`note note-${note} ${fitting ? 'fits' : 'too-big'}`} data-note={note} data-fits={fitting}>
            <span className="note-value">{ntd(note)}</span>
            {!fitting && <span className="note-why">{tooBig}</span>}
          </li>
        );
      })}
    </ul>
  );
}
