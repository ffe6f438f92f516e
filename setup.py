# The design card keeps resources/ at the top level; it is installed as the package
# `desktop.resources` so that importlib.resources finds it in wheels, editable installs
# and the PyInstaller bundle alike.
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["desktop", "desktop.*"]) + ["desktop.resources"],
    package_dir={"desktop.resources": "resources"},
    package_data={"desktop.resources": ["**/*"]},
    include_package_data=True,
)
