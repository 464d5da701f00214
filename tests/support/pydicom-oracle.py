# The oracle for the DICOM import tests: pydicom (Debian's python3-pydicom) reads each
# file given and prints, as JSON, what it finds: the transfer syntax, whether the file is
# DICOM Part 10 (preamble + "DICM"), and the study attributes Printpath reads, as the
# file holds them (text decoded by pydicom with the file's specific character set).
# dcmtk's dcmdump (Debian's dcmtk) says whether the file is a complete Part 10 file:
# pydicom reads a file cut short in its pixel data without a word.
# Usage: /usr/bin/python3 pydicom-oracle.py FILE... > oracle.json
import json
import subprocess
import sys

import pydicom

TAGS = {
    'modality': 'Modality',
    'studyDate': 'StudyDate',
    'accessionNumber': 'AccessionNumber',
    'studyDescription': 'StudyDescription',
    'seriesDescription': 'SeriesDescription',
    'sliceThickness': 'SliceThickness',
    'studyInstanceUid': 'StudyInstanceUID',
    'seriesInstanceUid': 'SeriesInstanceUID',
    'patientId': 'PatientID',
    'patientName': 'PatientName',
}


def text(value):
    if value is None:
        return None
    if isinstance(value, pydicom.valuerep.PersonName):
        # The alphabetic group, decoded with the file's character set.
        return str(value).split('=')[0].strip() or None
    if isinstance(value, pydicom.multival.MultiValue):
        value = '\\'.join(str(v) for v in value)
    if hasattr(value, 'original_string') and value.original_string is not None:
        value = value.original_string
        if isinstance(value, bytes):
            value = value.decode('latin-1')
    s = str(value).rstrip('\0 ').lstrip(' ')
    return s or None


def read(path):
    with open(path, 'rb') as f:
        head = f.read(132)
    part10 = len(head) == 132 and head[128:132] == b'DICM'
    complete = subprocess.run(['dcmdump', '-q', '+f', path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True, force=not part10)
    except Exception as e:  # noqa: BLE001 - the oracle reports what pydicom could not read
        return {'part10': part10, 'complete': complete, 'error': f'{type(e).__name__}: {e}'}
    ts = str(ds.file_meta.get('TransferSyntaxUID', '')) if hasattr(ds, 'file_meta') else ''
    out = {'part10': part10, 'complete': complete, 'transferSyntaxUid': ts or None}
    for key, keyword in TAGS.items():
        try:
            out[key] = text(ds.get(keyword))
        except Exception as e:  # noqa: BLE001
            out[key] = {'error': f'{type(e).__name__}: {e}'}
    out['charset'] = text(ds.get('SpecificCharacterSet'))
    return out


print(json.dumps({p: read(p) for p in sys.argv[1:]}, indent=1, ensure_ascii=False))
