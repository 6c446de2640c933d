"""Package metadata, all read from settings.ini (nbdev 2's layout, with two extras added).

`pip install lstm_book` installs the numpy core (`requirements`); the extras are
`data` (`data_requirements`: pandas, for `lstm_book.data`), `keras` (the data extra plus
`keras_requirements`: the Keras chapters), `book` (the keras extra plus `book_requirements`:
everything the notebooks import) and `dev` (`dev_requirements`).
"""
import shlex
from configparser import ConfigParser

import setuptools

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

cfg_keys = 'version description keywords author author_email'.split()
expected = cfg_keys + "lib_name user branch license status min_python audience language git_url doc_host doc_baseurl".split()
for o in expected: assert o in cfg, "missing expected setting: {}".format(o)
setup_cfg = {o: cfg[o] for o in cfg_keys}

# SPDX identifiers (PEP 639): the wheel's License-Expression field.
licenses = {'apache2': 'Apache-2.0', 'mit': 'MIT', 'gpl2': 'GPL-2.0-only', 'gpl3': 'GPL-3.0-only', 'bsd3': 'BSD-3-Clause'}
# settings.ini's `status` is the number in front of the name (3 = Alpha).
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha',
            '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()


def reqs(key):
    "The requirements listed under `key` in settings.ini."
    return shlex.split(cfg.get(key) or '')


requirements = reqs('requirements') + reqs('pip_requirements')
data_requirements = reqs('data_requirements')
keras_requirements = data_requirements + reqs('keras_requirements')
min_python = cfg['min_python']
git_url = cfg['git_url'].rstrip('/')

package_data = dict()
pkg_data = cfg.get('package_data', None)
if pkg_data:
    package_data[cfg['lib_name']] = pkg_data.split()
setup_cfg['package_data'] = package_data

setuptools.setup(
    name=cfg['lib_name'],
    license_expression=licenses.get(cfg['license'].lower(), cfg['license']),
    license_files=['LICENSE'],
    classifiers=[
        'Development Status :: ' + statuses[int(cfg['status']) - 1],
        'Intended Audience :: ' + cfg['audience'].title(),
        'Intended Audience :: Science/Research',
        'Natural Language :: ' + cfg['language'].title(),
        'Operating System :: OS Independent',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
        'Topic :: Education',
    ] + ['Programming Language :: Python :: ' + o for o in py_versions[py_versions.index(min_python):]],
    url=git_url,
    project_urls={
        'Documentation': cfg['doc_host'].rstrip('/') + cfg['doc_baseurl'],
        'Source': git_url,
        'Issues': git_url + '/issues',
    },
    packages=setuptools.find_packages(include=[cfg['lib_path'], cfg['lib_path'] + '.*']),
    include_package_data=True,
    install_requires=requirements,
    extras_require={
        'data': data_requirements,
        'keras': keras_requirements,
        'book': keras_requirements + reqs('book_requirements'),
        'torch': reqs('torch_requirements'),
        'dev': reqs('dev_requirements'),
    },
    dependency_links=cfg.get('dep_links', '').split(),
    python_requires='>=' + cfg['min_python'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points={
        'console_scripts': cfg.get('console_scripts', '').split(),
        'nbdev': [f'{cfg.get("lib_path")}={cfg.get("lib_path")}._modidx:d'],
    },
    **setup_cfg)
