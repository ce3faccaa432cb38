"""The demo estate: one declarative, seeded model shared by the simulator and the demo seeder.

Polling the simulator therefore never makes a demo feature "disappear": every feature the
seeder stores is printed by the simulator for its server, with the same vendor daemon,
version, issued count and expiry. Pure Python (no Django) so the simulator starts fast.

``load`` is a feature's peak weekday demand as a share of its issued seats (above 1:
saturated, users queue); ``hours`` the median checkout length.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache

SEED = 20260101


@dataclass(frozen=True, slots=True)
class SiteSpec:
    code: str
    name: str
    location: str
    timezone: str


@dataclass(frozen=True, slots=True)
class ServerSpec:
    name: str
    kind: str  # "flexlm" | "rlm"
    hosts: tuple[str, ...]
    port: int
    site: str
    daemons: tuple[tuple[str, int], ...]  # (vendor daemon / ISV name, ISV port)
    #: Sites whose users check licenses out here (empty: only the server's own site).
    serves: tuple[str, ...] = ()
    #: Whole-server outages per day on average (0: always up).
    outages_per_day: float = 0.0
    #: Triad member that drops out now and then while the other two keep quorum.
    flaky_member: str | None = None
    description: str = ""

    @property
    def address(self) -> str:
        return ",".join(f"{self.port}@{host}" for host in self.hosts)


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    server: str
    vendor: str
    name: str
    version: str
    issued: int | None  # None: uncounted, node-locked
    app: str
    load: float = 0.5
    hours: float = 2.5
    licenses: tuple[int, int] = (1, 1)
    #: ``None``: permanent; ``(month, day)``: renewed every year on that day.
    renews_on: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class ApplicationSpec:
    template: str
    name: str
    vendor: str
    category: str
    keystone: str
    cost_per_seat: int
    departments: tuple[str, ...]
    is_critical: bool = False
    scope: str = "exclusive"
    environment: str = "prod"
    contract_renews: tuple[int, int] = (3, 31)


@dataclass(frozen=True, slots=True)
class DepartmentSpec:
    code: str
    name: str
    cost_center: str
    size: int
    sites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UserSpec:
    username: str
    display_name: str
    email: str
    department: str
    site: str
    host: str
    #: How often this person works with licenses (heavy users come up more often).
    weight: float = field(default=1.0)


SITES = (
    SiteSpec("muc", "Munich HQ", "Munich, Germany", "Europe/Berlin"),
    SiteSpec("det", "Detroit Engineering", "Detroit, USA", "America/Detroit"),
    SiteSpec("pnq", "Pune Design Centre", "Pune, India", "Asia/Kolkata"),
)

SERVERS = (
    ServerSpec("flex1", "flexlm", ("flex1",), 27000, "muc", (("MLM", 0), ("LMCOMSOL", 0)),
               serves=("muc", "pnq"), description="MATLAB and COMSOL for Europe and India"),
    ServerSpec("cae-triad", "flexlm", ("h1", "h2", "h3"), 27000, "muc",
               (("ansyslmd", 0), ("ABAQUSLM", 0)), serves=("muc", "det", "pnq"),
               flaky_member="h3", description="Redundant triad for the simulation codes"),
    ServerSpec("flex2", "flexlm", ("flex2",), 27000, "det",
               (("adskflex", 0), ("SW_D", 0), ("MLM", 0), ("nilm", 0)),
               serves=("det",), description="CAD and test benches, Detroit"),
    ServerSpec("flex3", "flexlm", ("flex3",), 28000, "det", (("ugslmd", 0), ("ARCGIS", 0)),
               serves=("det", "muc"), outages_per_day=0.4,
               description="NX and ArcGIS; an old box that drops out now and then"),
    ServerSpec("rlm1", "rlm", ("rlm1",), 5053, "pnq", (("luxion", 5054), ("foundry", 5055)),
               serves=("pnq", "muc"), description="Rendering and compositing"),
    ServerSpec("rlm2", "rlm", ("rlm2",), 5053, "pnq", (("tecplot", 5056),),
               serves=("pnq", "det"), description="Post-processing"),
)  # fmt: skip

APPLICATIONS = (
    ApplicationSpec("matlab", "MATLAB", "MathWorks", "Numerical computing", "MATLAB", 2150,
                    ("EE", "RD", "SIM", "TEST"), is_critical=True, contract_renews=(1, 31)),
    ApplicationSpec("comsol", "COMSOL Multiphysics", "COMSOL", "Simulation", "COMSOL", 6400,
                    ("SIM", "RD")),
    ApplicationSpec("ansys", "ANSYS Mechanical", "Ansys", "Simulation", "ansys", 18500,
                    ("SIM", "ME"), is_critical=True, contract_renews=(6, 30)),
    ApplicationSpec("abaqus", "Abaqus", "Dassault Systèmes SIMULIA", "Simulation", "abaqus",
                    950, ("SIM",), scope="shared"),
    ApplicationSpec("autocad", "AutoCAD", "Autodesk", "CAD", "ACD_T_F", 1950,
                    ("ME", "MFG", "GIS"), contract_renews=(9, 30)),
    ApplicationSpec("inventor", "Autodesk Inventor", "Autodesk", "CAD", "INVPROSA_T_F", 2650,
                    ("ME", "MFG"), contract_renews=(9, 30)),
    ApplicationSpec("solidworks", "SolidWorks", "Dassault Systèmes", "CAD", "solidworks", 3900,
                    ("ME", "DES")),
    ApplicationSpec("labview", "LabVIEW", "NI", "Test & measurement", "LabVIEW_Pro", 3400,
                    ("TEST", "EE")),
    ApplicationSpec("siemens-nx", "Siemens NX", "Siemens Digital Industries", "CAD/CAM",
                    "NX13100", 7800, ("ME", "MFG", "DES"), is_critical=True,
                    contract_renews=(12, 31)),
    ApplicationSpec("arcgis", "ArcGIS Desktop", "Esri", "GIS", "ARC/INFO", 3800, ("GIS",)),
    ApplicationSpec("keyshot", "KeyShot", "Luxion", "Visualisation", "keyshot", 2400,
                    ("DES",)),
    ApplicationSpec("nuke", "Nuke", "Foundry", "Visualisation", "nuke_i", 5200, ("DES",)),
    ApplicationSpec("tecplot", "Tecplot 360", "Tecplot", "Post-processing", "tecplot360", 1900,
                    ("SIM", "RD"), environment="test"),
)  # fmt: skip


def _f(server, vendor, app, version, renews, rows):
    return tuple(
        FeatureSpec(server, vendor, name, version, issued, app, load, hours, lic, renews)
        for name, issued, load, hours, lic in rows
    )


_ONE = (1, 1)
FEATURES = (
    *_f("flex1", "MLM", "matlab", "46", (1, 31), [
        ("MATLAB", 40, 1.4, 3.5, _ONE),
        ("SIMULINK", 15, 0.8, 3.0, _ONE),
        ("Optimization_Toolbox", 10, 0.5, 1.5, _ONE),
        ("Statistics_Toolbox", 12, 0.6, 1.5, _ONE),
        ("Signal_Toolbox", 8, 0.55, 1.5, _ONE),
        ("Image_Toolbox", 6, 0.45, 1.5, _ONE),
        ("Control_Toolbox", 6, 0.4, 1.5, _ONE),
        ("Curve_Fitting_Toolbox", 5, 0.3, 1.0, _ONE),
        ("Symbolic_Toolbox", 5, 0.25, 1.0, _ONE),
        ("Distrib_Computing_Toolbox", 4, 0.35, 4.0, _ONE),
        ("MATLAB_Coder", 3, 0.2, 2.0, _ONE),
        ("Simulink_Control_Design", 3, 0.02, 1.0, _ONE),
    ]),
    *_f("flex1", "LMCOMSOL", "comsol", "6.2", (5, 31), [
        ("COMSOL", 6, 0.9, 4.0, _ONE),
        ("ACDC", 2, 0.5, 3.0, _ONE),
        ("HEATTRANSFER", 2, 0.6, 3.0, _ONE),
        ("STRUCTURALMECHANICS", 3, 0.5, 3.0, _ONE),
        ("CFD", 2, 0.03, 2.0, _ONE),
    ]),
    *_f("cae-triad", "ansyslmd", "ansys", "2024.0", (6, 30), [
        ("ansys", 10, 1.25, 4.0, _ONE),
        ("acfd", 6, 0.8, 4.5, _ONE),
        ("anshpc", 128, 0.7, 5.0, (4, 16)),
        ("dsdxm", 6, 0.5, 2.0, _ONE),
        ("a_spaceclaim_dirmod", 4, 0.02, 1.0, _ONE),
    ]),
    *_f("cae-triad", "ABAQUSLM", "abaqus", "2024", (6, 30), [
        ("abaqus", 80, 0.75, 5.0, (5, 12)),
        ("cae", 8, 0.7, 3.0, _ONE),
        ("tosca_topo", 2, 0.03, 2.0, _ONE),
    ]),
    *_f("flex2", "adskflex", "autocad", "1.000", (9, 30), [
        ("ACD_T_F", 30, 0.75, 3.5, _ONE),
        ("ACAD_E_T_F", 5, 0.45, 3.0, _ONE),
        ("AMECH_PP_T_F", 5, 0.3, 3.0, _ONE),
    ]),
    *_f("flex2", "adskflex", "inventor", "1.000", (9, 30), [
        ("INVPROSA_T_F", 14, 1.3, 4.0, _ONE),
        ("INVNTOR_T_F", 6, 0.5, 3.0, _ONE),
    ]),
    *_f("flex2", "SW_D", "solidworks", "32.0", None, [
        ("solidworks", 20, 0.7, 4.0, _ONE),
        ("swpremium", 5, 0.6, 3.5, _ONE),
        ("swsimulation", 4, 0.35, 2.5, _ONE),
        ("swepdm_cadeditorandweb", 25, 0.5, 6.0, _ONE),
    ]),
    *_f("flex2", "MLM", "matlab", "46", (1, 31), [
        ("MATLAB", 15, 0.7, 3.5, _ONE),
        ("SIMULINK", 6, 0.6, 3.0, _ONE),
        ("Signal_Toolbox", 4, 0.4, 1.5, _ONE),
    ]),
    *_f("flex2", "nilm", "labview", "2024.0", (3, 31), [
        ("LabVIEW_Pro", 12, 0.6, 5.0, _ONE),
        ("LabVIEW_Vision", 3, 0.3, 2.0, _ONE),
        ("TestStand_Dev", 2, 0.02, 2.0, _ONE),
    ]),
    *_f("flex3", "ugslmd", "siemens-nx", "13.0", (12, 31), [
        ("NX13100", 16, 1.3, 4.5, _ONE),
        ("NX13500", 6, 0.6, 3.0, _ONE),
        ("drafting", 16, 0.55, 2.0, _ONE),
        ("assemblies", 16, 0.6, 3.0, _ONE),
        ("adv_sheet_metal_dsgn", 8, 0.25, 2.0, _ONE),
        ("nx_cam_mill", 4, 0.4, 3.0, _ONE),
        ("nx_viewer", None, 0.0, 1.0, _ONE),
    ]),
    *_f("flex3", "ARCGIS", "arcgis", "10.1", None, [
        ("ARC/INFO", 4, 0.6, 3.0, _ONE),
        ("Editor", 8, 0.5, 3.0, _ONE),
        ("Viewer", 20, 0.35, 2.0, _ONE),
        ("Spatial", 4, 0.3, 2.0, _ONE),
        ("3DAnalyst", 3, 0.02, 1.0, _ONE),
    ]),
    *_f("rlm1", "luxion", "keyshot", "12.0", (4, 30), [
        ("keyshot", 8, 0.8, 3.0, _ONE),
        ("keyshot_network", 64, 0.4, 6.0, (8, 32)),
    ]),
    *_f("rlm1", "foundry", "nuke", "15.0", (8, 31), [
        ("nuke_i", 6, 1.4, 4.0, _ONE),
        ("nukex_i", 3, 0.6, 3.0, _ONE),
        ("nuke_r", 20, 0.5, 5.0, (1, 4)),
    ]),
    *_f("rlm2", "tecplot", "tecplot", "2023.2", None, [
        ("tecplot360", 8, 0.6, 2.0, _ONE),
        ("chorus", 2, 0.02, 1.0, _ONE),
    ]),
)  # fmt: skip

DEPARTMENTS = (
    DepartmentSpec("ME", "Mechanical Engineering", "CC-4100", 40, ("muc", "det")),
    DepartmentSpec("EE", "Electrical Engineering", "CC-4200", 25, ("muc", "pnq")),
    DepartmentSpec("SIM", "Simulation & CAE", "CC-4300", 30, ("muc", "det", "pnq")),
    DepartmentSpec("DES", "Industrial Design", "CC-4400", 20, ("pnq", "det")),
    DepartmentSpec("MFG", "Manufacturing Engineering", "CC-5100", 25, ("det",)),
    DepartmentSpec("GIS", "Facilities & GIS", "CC-6100", 15, ("det", "muc")),
    DepartmentSpec("RD", "Research & Development", "CC-7100", 25, ("muc", "pnq")),
    DepartmentSpec("TEST", "Test & Validation", "CC-4500", 20, ("det", "muc")),
)

_FIRST = ("Anna", "Jonas", "Marie", "Luca", "Sofia", "Noah", "Emma", "Ben", "Clara", "Ali",
          "Priya", "Rahul", "Ananya", "Vikram", "Meera", "John", "Emily", "Michael", "Sarah",
          "David", "Laura", "Tobias", "Julia", "Felix", "Hannah", "Omar", "Chen",
          "Yuki")  # fmt: skip
_LAST = ("Keller", "Martin", "Rossi", "Garcia", "Novak", "Smith", "Berg", "Kim", "Patel",
         "Sharma", "Iyer", "Kulkarni", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
         "Johnson", "Miller", "Brown", "Davis", "Wilson", "Moore", "Taylor", "Schulz", "Nair",
         "Joshi", "Deshpande", "Lang", "Wolf")  # fmt: skip


@cache
def users(seed: int = SEED) -> tuple[UserSpec, ...]:
    """The 200 demo users: stable usernames, departments, sites and workstations."""
    rng = random.Random(f"{seed}|users")
    taken: set[str] = set()
    result = []
    for dept in DEPARTMENTS:
        for number in range(1, dept.size + 1):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            base = f"{first[0]}{last}".lower()
            username, suffix = base, 1
            while username in taken:
                suffix += 1
                username = f"{base}{suffix}"
            taken.add(username)
            site = dept.sites[number % len(dept.sites)]
            result.append(
                UserSpec(
                    username=username,
                    display_name=f"{first} {last}",
                    email=f"{username}@example.com",
                    department=dept.code,
                    site=site,
                    host=f"{site}-{dept.code.lower()}-ws{number:02d}",
                    weight=round(rng.uniform(0.4, 2.0), 3),
                )
            )
    return tuple(result)


def site(code: str) -> SiteSpec:
    return next(s for s in SITES if s.code == code)


def server(name: str) -> ServerSpec:
    return next(s for s in SERVERS if s.name == name)


def server_by_address(address: str) -> ServerSpec | None:
    """The server answering on ``address``: its full address or any one triad member."""
    wanted = {part.strip().lower() for part in address.split(",") if part.strip()}
    for spec in SERVERS:
        members = {f"{spec.port}@{host}" for host in spec.hosts}
        if wanted and wanted <= members:
            return spec
    return None


def features_of(server_name: str) -> tuple[FeatureSpec, ...]:
    return tuple(f for f in FEATURES if f.server == server_name)


def application(template: str) -> ApplicationSpec:
    return next(a for a in APPLICATIONS if a.template == template)
