; Inno Setup script: a Windows installer for the bundle that packaging\peer-trainer.spec makes.
; Build the bundle on Windows first (packaging\windows\README.md), then:
;     iscc /DAppVersion=0.1.0 packaging\windows\peer-trainer.iss
; The installer lands in dist\. It installs for everyone (or, if the person installing is not an
; administrator, for them only), adds a Start menu entry, and leaves the records alone on uninstall:
; they live in the user's data folder (%LOCALAPPDATA%\peer-helper-trainer), never in {app}.
; Silent install for school IT: peer-helper-trainer-<version>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Peer Helper Trainer"
#define AppExe "peer-trainer.exe"
#define Root "..\.."

[Setup]
; The AppId identifies the program to Windows across versions: never change it.
AppId={{6B0E6C1E-4F3A-4C55-9B7E-2A1D9F6C3E81}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Peer Helper Trainer team
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=peer-helper-trainer-{#AppVersion}-setup
SetupIconFile={#Root}\packaging\icons\peer-helper-trainer.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\peer-trainer\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Training for school peer helpers"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
