/** What a demo's storyboard.json holds: read by the player page and written by the storyboard. */
/** One numbered picture of the storyboard and what it shows. */
export interface StoryStep {
  number: number;
  /** The screenshot's file name, e.g. `03-choose-standard.png`. */
  image: string;
  title: string;
  caption: string;
}

export interface StoryboardFile {
  demo: string;
  title: string;
  summary: string;
  recordedAt: string;
  quick: boolean;
  steps: StoryStep[];
  video: string | null;
}
