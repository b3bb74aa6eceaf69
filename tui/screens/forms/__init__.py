"""Modal forms and dialogs that create, edit, deploy, invoke and delete resources.

`flows` is the entry point for the console (keys, panes, command palette); each form takes a
`submit` coroutine and never calls HTTP itself. See `flows` for what the app must provide.
"""
