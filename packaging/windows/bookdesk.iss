; Inno Setup 6 recipe: a Windows installer for the bundle PyInstaller built in dist\bookdesk.
;
;   python packaging\render_icons.py build\icons
;   pyinstaller --noconfirm --workpath build\pyinstaller --distpath dist build.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\bookdesk.iss      -> dist\BookDesk-0.1.0-setup.exe
;
; The version is passed in (CI reads it from pyproject.toml), so it is written in one place only.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\bookdesk.iss
#endif

[Setup]
; Keeps upgrades and the uninstaller tied to one product; never change it.
AppId={{E2E844C3-DACB-481A-8AC9-6AE092DBA1DF}
AppName=BookDesk
AppVersion={#AppVersion}
AppVerName=BookDesk {#AppVersion}
AppPublisher=BookDesk
AppPublisherURL=https://github.com/bookdesk/bookdesk
AppSupportURL=https://github.com/bookdesk/bookdesk/issues
VersionInfoVersion={#AppVersion}
; Paths below are relative to the repository root.
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=BookDesk-{#AppVersion}-setup
SetupIconFile=build\icons\bookdesk.ico
UninstallDisplayIcon={app}\bookdesk.exe
; Program Files for everyone, or the user's own programs folder without administrator rights.
DefaultDirName={autopf}\BookDesk
DefaultGroupName=BookDesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; The bundle is 64-bit Python and Qt.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Explorer learns about "Open with BookDesk" at once.
ChangesAssociations=yes
; A running BookDesk holds its files open; ask to close it before replacing them.
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "dist\bookdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\BookDesk"; Filename: "{app}\bookdesk.exe"
Name: "{autodesktop}\BookDesk"; Filename: "{app}\bookdesk.exe"; Tasks: desktopicon

[Registry]
; "Open with BookDesk" for EPUB and M4B, offered beside the user's default program, never over it.
Root: HKA; Subkey: "Software\Classes\BookDesk.Book"; ValueType: string; ValueData: "Book"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\BookDesk.Book\DefaultIcon"; ValueType: string; ValueData: "{app}\bookdesk.exe,0"
Root: HKA; Subkey: "Software\Classes\BookDesk.Book\shell\open\command"; ValueType: string; ValueData: """{app}\bookdesk.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.epub\OpenWithProgids"; ValueType: string; ValueName: "BookDesk.Book"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.m4b\OpenWithProgids"; ValueType: string; ValueName: "BookDesk.Book"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Applications\bookdesk.exe\SupportedTypes"; ValueType: string; ValueName: ".epub"; ValueData: ""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\bookdesk.exe\SupportedTypes"; ValueType: string; ValueName: ".m4b"; ValueData: ""

[Run]
Filename: "{app}\bookdesk.exe"; Description: "{cm:LaunchProgram,BookDesk}"; Flags: nowait postinstall skipifsilent
