<#
.SYNOPSIS
  Build the Windows one-folder bundle (packaging\dist\JituanDesktop) and smoke-test it.

.DESCRIPTION
  1. Creates packaging\build\venv with Python 3.11 (py launcher) unless -Venv names one.
  2. pip install -e <repo> -r packaging\requirements.txt (PyInstaller 6.22.3).
  3. PyInstaller with packaging\jituan-desktop.spec.
  4. Smoke test: JituanDesktop.exe --demo --data-dir %TEMP%\jituan-smoke --smoke-test must
     exit 0 (it creates the demo database through the bundled alembic migrations, loads the
     policy profiles and catalogs, shows the main window and quits); then the console twin
     JituanDesktopCli.exe export-json must exit 0 and write valid JSON.
  Exits non-zero on any failure.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
  powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1 -ShowWindow
#>
param(
    [string]$Python = "py -3.11",   # command that runs Python 3.11
    [string]$Venv = "",             # default: packaging\build\venv
    [switch]$SkipSmoke,
    [switch]$ShowWindow,            # smoke test on the real desktop instead of offscreen
    [int]$SmokeTimeoutSeconds = 120
)

$ErrorActionPreference = "Stop"
$Here = Split-Path -Parent $MyInvocation.MyCommand.Path
$Repo = Split-Path -Parent $Here
if (-not $Venv) { $Venv = Join-Path $Here "build\venv" }
$VenvPy = Join-Path $Venv "Scripts\python.exe"

function Invoke-Checked([string]$What, [scriptblock]$Block) {
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE" }
}

if (-not (Test-Path $VenvPy)) {
    Write-Host "== creating venv $Venv"
    $exe, $pyArgs = $Python -split " "
    Invoke-Checked "venv" { & $exe @pyArgs -m venv $Venv }
    Invoke-Checked "pip upgrade" { & $VenvPy -m pip install --quiet --upgrade pip }
}
Write-Host "== installing the app and PyInstaller into $Venv"
Invoke-Checked "pip install" {
    & $VenvPy -m pip install --quiet -e $Repo -r (Join-Path $Here "requirements.txt")
}

Write-Host "== PyInstaller"
$sw = [Diagnostics.Stopwatch]::StartNew()
Invoke-Checked "PyInstaller" {
    & $VenvPy -m PyInstaller --noconfirm --clean `
        --distpath (Join-Path $Here "dist") `
        --workpath (Join-Path $Here "build\pyinstaller") `
        (Join-Path $Here "jituan-desktop.spec")
}
$sw.Stop()
$Dist = Join-Path $Here "dist\JituanDesktop"
$size = (Get-ChildItem $Dist -Recurse -File | Measure-Object -Property Length -Sum).Sum
Write-Host ("== built {0} in {1:N0} s, {2:N0} MB" -f $Dist, $sw.Elapsed.TotalSeconds, ($size / 1MB))

if ($SkipSmoke) { exit 0 }

# ---- smoke test ----------------------------------------------------------------------------
$Gui = Join-Path $Dist "JituanDesktop.exe"
$Cli = Join-Path $Dist "JituanDesktopCli.exe"
$Data = Join-Path $env:TEMP "jituan-smoke"
if (Test-Path $Data) { Remove-Item -Recurse -Force $Data }
New-Item -ItemType Directory -Path $Data | Out-Null
if (-not $ShowWindow) { $env:QT_QPA_PLATFORM = "offscreen" }

# JituanDesktop.exe is a windowed (GUI-subsystem) program: PowerShell does not wait for it
# and it has no console, so start it as a process and read its exit code.
$proc = Start-Process -FilePath $Gui -PassThru `
    -ArgumentList @("--demo", "--data-dir", "`"$Data`"", "--smoke-test")
$null = $proc.Handle  # keeps the handle so ExitCode is available after exit
if (-not $proc.WaitForExit($SmokeTimeoutSeconds * 1000)) {
    $proc.Kill()
    throw "smoke test: JituanDesktop.exe did not exit within $SmokeTimeoutSeconds s"
}
if ($proc.ExitCode -ne 0) {
    throw "smoke test: JituanDesktop.exe --smoke-test exited $($proc.ExitCode)"
}
if (-not (Test-Path (Join-Path $Data "demo\jituan-demo.db"))) {
    throw "smoke test: no demo database was created in $Data\demo"
}
Write-Host "PASS gui smoke test (JituanDesktop.exe --demo --smoke-test)"

$json = Join-Path $Data "export.json"
Invoke-Checked "export-json" { & $Cli --demo --data-dir $Data export-json --out $json }
$null = Get-Content -Raw -Encoding UTF8 $json | ConvertFrom-Json
Write-Host "PASS export-json (JituanDesktopCli.exe, valid JSON)"

Invoke-Checked "second start" { & $Cli --demo --data-dir $Data --smoke-test }
Write-Host "PASS gui smoke test on the existing database (JituanDesktopCli.exe)"
Write-Host "smoke test OK: $Dist"
Remove-Item Env:\QT_QPA_PLATFORM -ErrorAction SilentlyContinue
