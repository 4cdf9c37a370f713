"""Attachment names can never write outside the upload folder."""

import pytest

from bot.discord.cogs.admin._uploads import UploadRefused, upload_path

TYPES = [".jsonl", ".csv", ".txt"]


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [
        ("reviews.jsonl", "reviews.jsonl"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.csv", "evil.csv"),
        ("/abs/path/x.jsonl", "x.jsonl"),
        ("...hidden.csv", "hidden.csv"),
        ("we ird\x00na;me.txt", "we_ird_na_me.txt"),
    ],
)
def test_names_are_reduced_to_a_safe_base_name_inside_the_folder(tmp_path, name, saved_as):
    path = upload_path(tmp_path, name, "42", TYPES)
    assert path.name == saved_as and path.parent == (tmp_path / "42").resolve()


@pytest.mark.parametrize("name", ["run.exe", "archive.tar.gz", "noextension", "../x.py"])
def test_other_types_are_refused(tmp_path, name):
    with pytest.raises(UploadRefused, match="not accepted"):
        upload_path(tmp_path, name, "42", TYPES)


def test_the_unique_part_cannot_escape_either(tmp_path):
    with pytest.raises(UploadRefused):
        upload_path(tmp_path, "x.csv", "../..", TYPES)
