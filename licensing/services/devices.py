"""Staff actions on a license's devices. Registration and deactivation are the client-side rules
(``licensing.services.activations``): the same limits, the same session ending."""

from licensing.models import Activation, License
from licensing.services import activations
from limon_site.errors import Conflict, NotFound


def _license(license_id: int) -> License:
    license = License.objects.filter(pk=license_id).first()
    if license is None:
        raise NotFound("License not found", code="LICENSE_NOT_FOUND", details={"id": license_id})
    return license


def register_license_device(
    *, license_id: int, hardware_hash: str, machine_name: str = "", app_version: str = "", actor
) -> activations.ActivationResult:
    """Staff registering a device: the same limits as a client activation (409 when full)."""
    return activations.register_device(
        license=_license(license_id),
        hardware_hash=hardware_hash,
        machine_name=machine_name,
        app_version=app_version,
        actor=actor,
    )


def deactivate_license_device(*, license_id: int, device_id: int, actor) -> Activation:
    """Free the device's seat and end its sessions; 404 when the device is not on this license,
    409 ``DEVICE_ALREADY_INACTIVE`` when it was deactivated before."""
    _license(license_id)
    activation = Activation.objects.filter(pk=device_id, license_id=license_id).first()
    if activation is None:
        raise NotFound(
            "This device is not registered on this license",
            code="DEVICE_NOT_FOUND",
            details={"license_id": license_id, "device_id": device_id},
        )
    if not activation.is_active:
        raise Conflict(
            "This device is already deactivated",
            code="DEVICE_ALREADY_INACTIVE",
            details={"deactivated_at": activation.deactivated_at.isoformat()},
        )
    return activations.deactivate_activation(activation=activation, actor=actor)
