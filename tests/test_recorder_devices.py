"""Device specs and the camera list (read from a sysfs-shaped folder)."""
from pathlib import Path

from recorder.devices import camera_name_to_path, list_cameras, parse_spec

DATA = Path(__file__).parent / "data"


def test_parse_spec_kinds(tmp_path):
    assert parse_spec(None).kind == parse_spec("none").kind == parse_spec(" None ").kind == "none"
    assert (parse_spec("2").kind, parse_spec("2").value) == ("index", 2)
    assert parse_spec(3).value == 3
    assert parse_spec("/dev/video4").kind == "path"
    assert parse_spec("rtsp://10.0.0.9/stream").kind == "url"
    f = parse_spec(DATA / "rec_camera_320x240_30fps.mp4")
    assert f.kind == "file" and Path(f.value).is_absolute() and f.is_file
    assert parse_spec(tmp_path / "gone.mp4").kind == "file"        # a missing file is still a file
    assert parse_spec("Logitech BRIO").kind == "name"
    assert parse_spec("USB Audio Device: - (hw:1,0)").kind == "name"


def test_list_cameras_skips_metadata_nodes(tmp_path):
    for node, name, index in (("video0", "HD Webcam", 0), ("video1", "HD Webcam", 1),
                              ("video2", "Capture Card", 0)):
        (tmp_path / node).mkdir()
        (tmp_path / node / "name").write_text(name + "\n")
        (tmp_path / node / "index").write_text(f"{index}\n")
    cams = list_cameras(str(tmp_path))
    assert [c.spec for c in cams] == ["HD Webcam", "Capture Card"]
    assert cams[0].label == "HD Webcam (/dev/video0)"
    assert camera_name_to_path("Capture Card", str(tmp_path)) == "/dev/video2"
    assert camera_name_to_path("Nope", str(tmp_path)) is None
    assert list_cameras(str(tmp_path / "missing")) == []
