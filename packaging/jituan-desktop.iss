; Inno Setup 6 script for Jituan Desktop (集团化办学工作台).
; UNTESTED: written on Linux, where Inno Setup cannot run. Build the bundle first with
; packaging\build-windows.ps1, then compile on Windows:
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\jituan-desktop.iss
; Output: packaging\dist\installer\JituanDesktop-<version>-setup.exe

#define AppName "集团化办学工作台"
#define AppNameEn "Jituan Desktop"
; keep AppVersion in step with jituan_desktop/__init__.py
#define AppVersion "0.1.0"
#define AppExe "JituanDesktop.exe"
#define SourceDir "dist\JituanDesktop"

[Setup]
; A fixed AppId lets later versions upgrade in place. Never change it after the first release.
AppId={{6B7E1F2A-3C4D-4E5F-8A9B-0C1D2E3F4A5B}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Jituan Desktop
DefaultDirName={autopf}\JituanDesktop
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Program Files needs admin rights; the app writes nothing there (its data lives in
; %LOCALAPPDATA%\JituanDesktop via platformdirs).
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=dist\installer
OutputBaseFilename=JituanDesktop-{#AppVersion}-setup
SetupIconFile=jituan.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; close a running copy before replacing its files
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the whole one-folder bundle; timestamps are kept, so jituan.mo stays newer than jituan.po
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{#AppNameEn}"
Name: "{group}\{#AppName}（演示数据）"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; User data (%LOCALAPPDATA%\JituanDesktop: database, backups, settings) is deliberately not
; removed on uninstall.
