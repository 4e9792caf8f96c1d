"""The campaign editor: campaigns edited, versioned, previewed and published in the browser.

Its pages are on the organizers' one blueprint (`views.py` here adds them to
`organizers.views.bp`, as `signin.py` does), so they are behind the same door: a
signed-in organizer, cross-site posts refused, nothing cached, noindex.

- `layout.py`: the editor's fields, where each sits in the campaign content, and content
  shown as text; `typed.py`: typed text back into content (`assemble`), and which field a
  rule's problem belongs to (`place`);
- `preview.py`: real members from the data in use, one of each kind a letter goes to,
  and their letters at a chosen moment;
- `forms.py`, `views.py` (the list, the editor, publishing, the history) and
  `preview_views.py` (the preview's pages): the pages.

The versions themselves (save, publish, roll back, close) are the campaigns' service
(`advocacy.campaigns.versions`): `advocacy campaigns load` records and publishes through
it too.
"""
