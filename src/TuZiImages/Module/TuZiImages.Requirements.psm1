# Imported before TuZiImages.dll (a manifest's nested modules load before its root module). Windows PowerShell only:
# the check is a script of its own, so that PowerShell 7, which carries its own .NET, compiles nothing of it.
if ($PSEdition -eq 'Desktop') { & "$PSScriptRoot\TuZiImages.Framework.ps1" }
