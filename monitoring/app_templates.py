"""Built-in application templates: well-known products with their vendor, category, usual
feature-name patterns and keystone, so creating "MATLAB" pre-fills its feature mappings.

Patterns are exact names or regular expressions matching the whole feature name (see
:mod:`monitoring.services.mappings`). Exact patterns name the features people recognise;
a regular expression catches the rest of a product's family (every ``*_Toolbox``).
Applied with :func:`monitoring.services.templates.apply_template`.
"""

from __future__ import annotations

from dataclasses import dataclass

EXACT = "exact"
REGEX = "regex"


@dataclass(frozen=True, slots=True)
class Pattern:
    pattern: str
    display_name: str
    match_type: str = EXACT


@dataclass(frozen=True, slots=True)
class AppTemplate:
    key: str
    name: str
    vendor: str
    category: str
    #: Feature whose checkout means "the application is in use".
    keystone: str
    patterns: tuple[Pattern, ...]
    kind: str = "flexlm"
    description: str = ""


def _x(*pairs: tuple[str, str]) -> tuple[Pattern, ...]:
    return tuple(Pattern(name, display) for name, display in pairs)


def _re(pattern: str, display: str) -> Pattern:
    return Pattern(pattern, display, REGEX)


TEMPLATES: dict[str, AppTemplate] = {
    t.key: t
    for t in (
        AppTemplate(
            "matlab", "MATLAB", "MathWorks", "Numerical computing", "MATLAB",
            (*_x(("MATLAB", "MATLAB"), ("SIMULINK", "Simulink"),
                 ("Distrib_Computing_Toolbox", "Parallel Computing Toolbox"),
                 ("MATLAB_Coder", "MATLAB Coder"),
                 ("Simulink_Control_Design", "Simulink Control Design")),
             _re(r"[A-Za-z_]+_Toolbox", "MATLAB toolbox"),
             _re(r"(Simulink|SIMULINK)_[A-Za-z_]+", "Simulink add-on")),
            description="MLM vendor daemon; toolboxes are separate features.",
        ),
        AppTemplate(
            "comsol", "COMSOL Multiphysics", "COMSOL", "Simulation", "COMSOL",
            (*_x(("COMSOL", "COMSOL Multiphysics"), ("COMSOLGUI", "COMSOL Desktop"),
                 ("ACDC", "AC/DC Module"), ("HEATTRANSFER", "Heat Transfer Module"),
                 ("STRUCTURALMECHANICS", "Structural Mechanics Module"),
                 ("CFD", "CFD Module")),),
            description="LMCOMSOL vendor daemon; one feature per add-on module.",
        ),
        AppTemplate(
            "ansys", "ANSYS Mechanical", "Ansys", "Simulation", "ansys",
            (*_x(("ansys", "Ansys Mechanical Enterprise"), ("acfd", "Ansys CFD"),
                 ("anshpc", "Ansys HPC"), ("anshpc_pack", "Ansys HPC Pack"),
                 ("dsdxm", "Ansys DesignModeler"), ("cfd_base", "Ansys CFD base")),
             _re(r"a_spaceclaim_[a-z_]+", "Ansys SpaceClaim"),
             _re(r"aa_[a-z_]+", "Ansys Academic")),
            description="ansyslmd vendor daemon; HPC cores are checked out many at a time.",
        ),
        AppTemplate(
            "abaqus", "Abaqus", "Dassault Systèmes SIMULIA", "Simulation", "abaqus",
            (*_x(("abaqus", "Abaqus tokens"), ("cae", "Abaqus/CAE"),
                 ("standard", "Abaqus/Standard"), ("explicit", "Abaqus/Explicit")),
             _re(r"tosca_[a-z_]+", "Tosca")),
            description="ABAQUSLM vendor daemon; solver jobs draw several tokens each.",
        ),
        AppTemplate(
            "autocad", "AutoCAD", "Autodesk", "CAD", "ACD_T_F",
            (*_x(("ACD_T_F", "AutoCAD"), ("ACAD_E_T_F", "AutoCAD Electrical"),
                 ("AMECH_PP_T_F", "AutoCAD Mechanical")),
             _re(r"[0-9]{5}ACD_20[0-9]{2}_0F", "AutoCAD (versioned)")),
            description="adskflex vendor daemon; *_T_F are term (subscription) features.",
        ),
        AppTemplate(
            "inventor", "Autodesk Inventor", "Autodesk", "CAD", "INVPROSA_T_F",
            (*_x(("INVPROSA_T_F", "Inventor Professional"), ("INVNTOR_T_F", "Inventor")),
             _re(r"[0-9]{5}INVPROSA_20[0-9]{2}_0F", "Inventor Professional (versioned)")),
            description="adskflex vendor daemon.",
        ),
        AppTemplate(
            "solidworks", "SolidWorks", "Dassault Systèmes", "CAD", "solidworks",
            (*_x(("solidworks", "SOLIDWORKS"), ("swpremium", "SOLIDWORKS Premium"),
                 ("swsimulation", "SOLIDWORKS Simulation")),
             _re(r"swepdm_[a-z_]+", "SOLIDWORKS PDM")),
            description="SW_D vendor daemon (SolidNetWork License Manager).",
        ),
        AppTemplate(
            "labview", "LabVIEW", "NI", "Test & measurement", "LabVIEW_Pro",
            (*_x(("LabVIEW_Pro", "LabVIEW Professional"), ("LabVIEW_Vision", "Vision module"),
                 ("TestStand_Dev", "TestStand Development")),
             _re(r"LabVIEW_[A-Za-z_]+", "LabVIEW add-on")),
            description="nilm vendor daemon (NI Volume License Manager).",
        ),
        AppTemplate(
            "siemens-nx", "Siemens NX", "Siemens Digital Industries", "CAD/CAM", "NX13100",
            (*_x(("NX13100", "NX Mach 1 Design"), ("NX13500", "NX Mach 3 Product Design"),
                 ("drafting", "NX Drafting"), ("assemblies", "NX Assemblies"),
                 ("adv_sheet_metal_dsgn", "NX Advanced Sheet Metal"),
                 ("nx_viewer", "NX Viewer")),
             _re(r"nx_cam_[a-z_]+", "NX CAM"),
             _re(r"(NX|UG)[0-9]{5}N?", "NX bundle")),
            description="ugslmd vendor daemon; bundles are numbered.",
        ),
        AppTemplate(
            "arcgis", "ArcGIS Desktop", "Esri", "GIS", "ARC/INFO",
            (*_x(("ARC/INFO", "ArcGIS Desktop Advanced"), ("Editor", "ArcGIS Desktop Standard"),
                 ("Viewer", "ArcGIS Desktop Basic"), ("Spatial", "Spatial Analyst"),
                 ("3DAnalyst", "3D Analyst"), ("Network", "Network Analyst")),),
            description="ARCGIS vendor daemon (ArcGIS License Manager).",
        ),
        AppTemplate(
            "keyshot", "KeyShot", "Luxion", "Visualisation", "keyshot",
            (*_x(("keyshot", "KeyShot"), ("keyshot_network", "KeyShot Network Rendering")),),
            kind="rlm",
            description="luxion ISV server (RLM); network rendering by the core.",
        ),
        AppTemplate(
            "nuke", "Nuke", "Foundry", "Visualisation", "nuke_i",
            (*_x(("nuke_i", "Nuke (interactive)"), ("nukex_i", "NukeX (interactive)"),
                 ("nuke_r", "Nuke render")),),
            kind="rlm",
            description="foundry ISV server (RLM).",
        ),
        AppTemplate(
            "tecplot", "Tecplot 360", "Tecplot", "Post-processing", "tecplot360",
            (*_x(("tecplot360", "Tecplot 360"), ("chorus", "Tecplot Chorus")),),
            kind="rlm",
            description="tecplot ISV server (RLM).",
        ),
    )
}  # fmt: skip


def get(key: str) -> AppTemplate | None:
    return TEMPLATES.get(key)


def choices() -> list[tuple[str, str]]:
    """``(key, "Name (Vendor)")`` pairs for forms and the API, by name."""
    return sorted(((t.key, f"{t.name} ({t.vendor})") for t in TEMPLATES.values()),
                  key=lambda item: item[1].lower())  # fmt: skip
